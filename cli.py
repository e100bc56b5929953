"""The command line from a checkout: `python cli.py run scenarios/fr/fr-escort-classifieds-paid-2019.yaml`.

The product's layout puts the command at the top of the repository, beside `liability/`,
`rules/` and `scenarios/`. Its one implementation is `liability.cli`; this file starts it
exactly as the installed `liability` console script and `python -m liability` do, reading
the rules and scenarios of this checkout.
"""

from liability import command

if __name__ == "__main__":
    command()
