"""Reading scenario files (DESIGN.md section 4): strict, safe, and every error names file and line."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from packs import read_scenario, write

from liability import sources
from liability.declarations import bundled_vocabulary
from liability.scenario import ScenarioError

HEAD = "id: demo\nfacts_date: 2014-06-01\n"


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        read_scenario(path)
    assert caught.value.problems, "a ScenarioError must carry at least one problem"
    return caught.value.problems


def only_problem(path: Path) -> str:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


# --- one test per kind of bad input -------------------------------------------------------------

def test_a_yaml_syntax_error_is_reported_with_file_and_line(tmp_path):
    path = write(tmp_path, HEAD + "money:\n  posting_fees: true\n   promotion_fees: [true\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:5: YAML syntax error:"), message


def test_a_json_syntax_error_is_reported_with_file_and_line(tmp_path):
    path = write(tmp_path, '{"id": "demo",\n "facts_date": "2014-06-01",\n "money": {"posting_fees": }\n}\n',
                 "case.json")
    message = only_problem(path)
    assert message.startswith(f"{path}:3: JSON syntax error: Expecting value"), message


@pytest.mark.parametrize(("name", "text"), [("case.yaml", ""), ("case.yaml", "\n\n"),
                                            ("case.yaml", "# only a comment\n"),
                                            ("case.json", ""), ("case.json", "\n  \n")])
def test_an_empty_file_is_reported_as_empty(tmp_path, name, text):
    path = write(tmp_path, text, name)
    assert only_problem(path) == f"{path}: the file is empty"


def test_a_binary_file_is_reported_as_not_text(tmp_path):
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert only_problem(path) == f"{path}: this is a binary file, not YAML or JSON text"


def test_a_file_that_is_not_utf8_is_reported_with_the_line_of_the_first_bad_byte(tmp_path):
    path = write(tmp_path, HEAD.encode() + b"title: Caf\xe9 des annonces\n")
    assert only_problem(path) == f"{path}:3: the file is not valid UTF-8 text"


def test_an_unknown_key_is_reported_with_its_line_and_nearest_valid_key(tmp_path):
    path = write(tmp_path, HEAD + "knowlege:\n  actual_knowledge: true\n")
    assert only_problem(path) == f"{path}:3: unknown key `knowlege` - did you mean `knowledge`?"


def test_an_unknown_key_inside_a_section_is_reported_with_its_dotted_path_and_nearest_key(tmp_path):
    path = write(tmp_path, HEAD + "knowledge:\n  general_awareness: true\n  actual_knowlege: true\n")
    assert only_problem(path) == f"{path}:5: unknown key `knowledge.actual_knowlege` - did you mean `actual_knowledge`?"


def test_an_unknown_key_with_no_near_match_lists_the_valid_keys(tmp_path):
    path = write(tmp_path, HEAD + "money:\n  zzzzzz: true\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:4: unknown key `money.zzzzzz`; expected one of: ")
    assert "posting_fees" in message and "share_of_proceeds" in message


def test_an_unknown_key_whose_name_starts_with_int_is_reported_like_any_other(tmp_path):
    path = write(tmp_path, HEAD + "interest: 3\n")
    assert only_problem(path).startswith(f"{path}:3: unknown key `interest`")


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "y"])
def test_yaml_1_1_booleans_are_not_booleans_and_are_rejected_with_what_is_expected(tmp_path, word):
    path = write(tmp_path, HEAD + f"money:\n  posting_fees: {word}\n")
    assert only_problem(path) == f"{path}:4: `money.posting_fees` is `{word}`; expected true, false or unknown"


def test_a_wrong_type_for_a_fact_whose_name_starts_with_int_names_that_fact_and_its_line(tmp_path):
    path = write(tmp_path, HEAD + "conduct:\n  edits_content: true\n  intent_to_facilitate: yes\n")
    assert only_problem(path) == \
        f"{path}:5: `conduct.intent_to_facilitate` is `yes`; expected true, false or unknown"


def test_a_number_is_not_a_boolean(tmp_path):
    path = write(tmp_path, HEAD + "money:\n  posting_fees: 1\n")
    assert only_problem(path) == f"{path}:4: `money.posting_fees` is `1`; expected true, false or unknown"


def test_a_value_outside_an_enumeration_is_reported_with_the_values_and_the_nearest_one(tmp_path):
    path = write(tmp_path, HEAD + "service:\n  kind: classified\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:4: `service.kind` is `classified`; expected ")
    assert "'social_network'" in message and "'telematic'" in message
    assert message.endswith("did you mean `classifieds`?")


def test_a_negative_count_is_rejected_with_its_line_and_the_bound(tmp_path):
    path = write(tmp_path, HEAD + "victims:\n  minors: true\n  count: -2\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:5: `victims.count` `-2`")
    assert "greater than or equal to 0" in message


def test_a_count_must_be_an_integer_not_a_boolean(tmp_path):
    path = write(tmp_path, HEAD + "victims:\n  count: true\n")
    assert only_problem(path).startswith(f"{path}:4: `victims.count`")


def test_an_impossible_date_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "id: demo\nfacts_date: 2014-13-45\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:2: invalid value `2014-13-45`")
    assert "month must be in 1..12" in message


def test_a_date_that_is_not_a_date_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "id: demo\nfacts_date: last summer\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:2: `facts_date` `last summer`")


def test_facts_end_before_facts_date_is_rejected_naming_both_dates(tmp_path):
    path = write(tmp_path, HEAD + "facts_end: 2014-01-01\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:")
    assert "facts_end is before facts_date" in message


def test_judged_on_before_facts_date_is_rejected_naming_both_dates(tmp_path):
    path = write(tmp_path, HEAD + "judged_on: 2013-01-01\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:")
    assert "judged_on is before facts_date" in message


def test_facts_end_before_facts_date_points_at_the_facts_end_line(tmp_path):
    path = write(tmp_path, "title: a case\n" + HEAD + "facts_end: 2014-01-01\n")
    assert only_problem(path).startswith(f"{path}:4:")


def test_a_duplicate_key_is_reported_at_its_second_occurrence_with_the_first(tmp_path):
    path = write(tmp_path, HEAD + "money:\n  posting_fees: true\nmoney:\n  posting_fees: false\n")
    assert only_problem(path) == f"{path}:5: duplicate key `money` (first given on line 3)"


def test_a_duplicate_key_in_json_is_reported(tmp_path):
    path = write(tmp_path, '{"id": "demo", "facts_date": "2014-06-01", "id": "other"}', "case.json")
    message = only_problem(path)
    assert message.startswith(str(path)) and "duplicate key `id`" in message


def test_an_alias_bomb_is_stopped_before_it_expands(tmp_path):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for index in range(1, 9):
        previous, current = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{current}: &{current} [" + ", ".join([f"*{previous}"] * 9) + "]")
    path = write(tmp_path, HEAD + "\n".join(lines) + "\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:")
    assert f"document expands to more than {sources.MAX_NODES} values" in message


def test_nesting_beyond_the_limit_is_reported_with_its_line(tmp_path):
    depth = sources.MAX_DEPTH + 10
    path = write(tmp_path, HEAD + "title: " + "[" * depth + "]" * depth + "\n")
    assert only_problem(path) == f"{path}:3: nesting deeper than {sources.MAX_DEPTH} levels"


def test_nesting_beyond_the_limit_in_json_is_reported(tmp_path):
    depth = sources.MAX_DEPTH + 10
    path = write(tmp_path, '{"id": "demo", "title": ' + "[" * depth + "]" * depth + "}", "case.json")
    assert f"nesting deeper than {sources.MAX_DEPTH} levels" in only_problem(path)


def test_very_deep_nesting_is_reported_as_too_deep_not_as_a_crash(tmp_path):
    path = write(tmp_path, HEAD + "title: " + "[" * 5000 + "]" * 5000 + "\n")
    assert "nesting deeper than" in only_problem(path)


def test_very_deep_nesting_in_json_is_reported_as_too_deep_not_as_a_crash(tmp_path):
    path = write(tmp_path, '{"id": "demo", "title": ' + "[" * 500 + "]" * 500 + "}", "case.json")
    assert "nesting deeper than" in only_problem(path)


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path):
    path = write(tmp_path, HEAD + "# " + "x" * sources.MAX_BYTES + "\n")
    message = only_problem(path)
    assert message.startswith(f"{path}: file is ")
    assert f"the limit is {sources.MAX_BYTES}" in message


@pytest.mark.parametrize(("text", "line"), [("- id: demo\n- facts_date: 2014-06-01\n", 1),
                                            ("\n\njust a sentence\n", 3)])
def test_a_top_level_that_is_not_a_mapping_is_rejected(tmp_path, text, line):
    path = write(tmp_path, text)
    assert only_problem(path) == f"{path}:{line}: a scenario must be a mapping of keys to values"


def test_a_missing_required_key_is_named(tmp_path):
    path = write(tmp_path, "id: demo\ntitle: no date\n")
    assert only_problem(path) == f"{path}:1: missing required key `facts_date`"


def test_an_id_that_is_not_kebab_case_is_rejected_with_an_example(tmp_path):
    path = write(tmp_path, "id: Demo_Case\nfacts_date: 2014-06-01\n")
    message = only_problem(path)
    assert message.startswith(f"{path}:1: `id` is `Demo_Case`; expected a kebab-case id")


def test_a_python_tag_never_runs_code(tmp_path):
    target = tmp_path / "created-by-yaml"
    path = write(tmp_path, HEAD + f"title: !!python/object/apply:os.mkdir ['{target}']\n")
    assert only_problem(path).startswith(f"{path}:3:")
    assert not target.exists()


def test_a_python_scalar_tag_is_refused_as_unsupported(tmp_path):
    path = write(tmp_path, HEAD + "title: !!python/name:os.system\n")
    assert only_problem(path).startswith(f"{path}:3: unsupported YAML value")


def test_every_problem_in_a_file_is_reported_in_line_order(tmp_path):
    path = write(tmp_path, HEAD + "money:\n  posting_fees: yes\nvictims:\n  count: -1\nservice:\n  kind: blog\n")
    problems = problems_of(path)
    assert [p.split(":")[1] for p in problems] == ["4", "6", "8"], problems


def test_a_missing_file_is_reported_not_raised(tmp_path):
    path = tmp_path / "nowhere.yaml"
    assert only_problem(path).startswith(f"{path}: cannot read the file")


# --- what a valid scenario means ----------------------------------------------------------------

def test_unknown_and_omission_both_mean_an_unknown_fact(tmp_path):
    written = read_scenario(write(tmp_path, HEAD + "money:\n  posting_fees: unknown\nvictims:\n  count: unknown\n"))
    omitted = read_scenario(write(tmp_path, HEAD, "other.yaml"))
    assert written.money.posting_fees is None and omitted.money.posting_fees is None
    assert written.victims.count is None and omitted.victims.count is None
    assert written.fact("money.posting_fees") is None


def test_an_empty_value_is_not_silently_unknown(tmp_path):
    path = write(tmp_path, HEAD + "money:\n  posting_fees:\n")
    assert only_problem(path).startswith(f"{path}:4: `money.posting_fees`")


def test_true_and_false_are_read_as_booleans_and_counts_as_integers(tmp_path):
    scenario = read_scenario(write(tmp_path, HEAD + "money:\n  posting_fees: true\n  promotion_fees: false\n"
                                   "victims:\n  count: 3\n"))
    assert scenario.money.posting_fees is True and scenario.money.promotion_fees is False
    assert scenario.victims.count == 3
    assert scenario.facts_date == dt.date(2014, 6, 1)


def test_a_json_scenario_loads_like_its_yaml_twin(tmp_path):
    data = {"id": "demo", "facts_date": "2014-06-01", "judged_on": "2016-03-14",
            "actor": {"person": "legal"}, "money": {"posting_fees": True, "promotion_fees": "unknown"},
            "victims": {"count": 2, "residence": ["FR", "US"]}, "expect": {"zz.offence": "liable"}}
    from_json = read_scenario(write(tmp_path, json.dumps(data, indent=1), "case.json"))
    from_yaml = read_scenario(write(tmp_path, HEAD + "judged_on: 2016-03-14\nactor: {person: legal}\n"
                                    "money: {posting_fees: true, promotion_fees: unknown}\n"
                                    "victims: {count: 2, residence: [FR, US]}\nexpect: {zz.offence: liable}\n"))
    assert from_json == from_yaml
    assert from_json.judged_on == dt.date(2016, 3, 14)


def test_a_json_scenario_error_names_the_line_of_the_key(tmp_path):
    path = write(tmp_path, '{\n "id": "demo",\n "facts_date": "2014-06-01",\n "money": {\n  "posting_fees": "yes"\n }\n}\n',
                 "case.json")
    assert only_problem(path) == f"{path}:5: `money.posting_fees` is `yes`; expected true, false or unknown"


def test_the_fact_vocabulary_covers_every_field_of_every_section_with_its_kind():
    vocabulary = bundled_vocabulary().facts
    expected = {f"{section}.{name}" for section, model in bundled_vocabulary().sections.items() for name in model.model_fields}
    assert set(vocabulary) == expected
    assert {path.split(".")[0] for path in vocabulary} == set(bundled_vocabulary().sections)
    assert vocabulary["money.posting_fees"].kind == "bool"
    assert vocabulary["victims.count"].kind == "count"
    assert vocabulary["service.kind"].kind == "choice"
    assert "classifieds" in vocabulary["service.kind"].values
    assert vocabulary["service.established_in"].kind == "country"
    assert vocabulary["victims.residence"].kind == "countries"
    assert vocabulary["actor.name"].kind == "text"
    assert all(spec.path == path for path, spec in vocabulary.items())


def test_every_fact_of_the_vocabulary_is_readable_from_a_scenario():
    scenario = bundled_vocabulary().model.model_validate({"id": "demo", "facts_date": "2014-06-01"})
    for path in bundled_vocabulary().facts:
        assert scenario.fact(path) is None, path


def test_the_scenario_schema_command_prints_valid_json_with_every_section():
    result = subprocess.run([sys.executable, "-m", "liability", "scenario", "schema"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    properties = schema["properties"]
    for section, model in bundled_vocabulary().sections.items():
        assert section in properties, section
        reference = properties[section].get("$ref") or properties[section]["allOf"][0]["$ref"]
        definition = schema["$defs"][reference.rsplit("/", 1)[1]]
        assert set(definition["properties"]) == set(model.model_fields), section
        assert definition.get("additionalProperties") is False, section
    assert set(schema["required"]) >= {"id", "facts_date"}
