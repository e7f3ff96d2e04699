"""The condition registry: one entry per condition, and what reads it."""

from __future__ import annotations

import pytest

from meshes.conditions import CONDITIONS, STAGES, by_field, by_name, teaching_targets
from meshes.pathology import MAX_SLIP, TEACHING, Pathology


def test_each_condition_is_one_entry_with_its_own_names():
    fields = [c.field for c in CONDITIONS]
    names = [c.name for c in CONDITIONS]
    keys = [c.key for c in CONDITIONS]
    assert len(set(fields)) == len(set(names)) == len(set(keys)) == len(CONDITIONS) == 4
    for c in CONDITIONS:
        assert c.minimum <= c.teaching <= c.maximum, c.name
        assert 0.0 < c.span <= c.maximum - c.minimum, c.name
        assert by_field(c.field) is c and by_name(c.name) is c


def test_the_pathology_state_reads_its_ranges_and_targets_from_the_registry():
    assert MAX_SLIP == by_field("slip_percent").maximum == 150.0
    assert TEACHING == teaching_targets() == {"slip_percent": 40.0, "herniation": STAGES["extrusion"],
                                              "degeneration": 1.0, "posture": 1.0}
    for c in CONDITIONS:
        with pytest.raises(ValueError, match=f"{c.name} must be from"):
            Pathology(**{c.field: c.maximum + 1.0})
        with pytest.raises(ValueError, match=f"{c.name} must be from"):
            Pathology(**{c.field: c.minimum - 1.0})
        Pathology(**{c.field: c.maximum})  # the range's ends are allowed
        Pathology(**{c.field: c.minimum})
    assert Pathology().posture == by_name("posture").rest == 0.0  # a posture rests at neutral, not at -1


def test_a_condition_reads_its_command_line_values_and_says_why_not_in_one_line():
    slip, herniation = by_name("slip"), by_name("herniation")
    assert slip.read("30") == 30.0
    assert herniation.read("extrusion") == STAGES["extrusion"]
    for condition, text, message in ((slip, "200", "slip must be from 0 to 150 percent"),
                                     (slip, "lots", "slip must be a number from 0 to 150"),
                                     (herniation, "bulge", "a bulge is not a herniation")):
        with pytest.raises(ValueError, match=message) as caught:
            condition.read(text)
        assert "\n" not in str(caught.value)


def test_follow_views_come_from_the_entry_and_depend_on_the_zone_only_where_they_should():
    herniation = by_name("herniation")
    assert herniation.follow("subarticular").clip == "axial"
    assert herniation.follow("foraminal").views == (("foramen", 0.0),)
    slip = by_name("slip")
    assert slip.follow("central") == slip.follow("foraminal")
    assert [view for view, _share in slip.follow("central").views] == ["posterior_oblique", "left"]


def test_a_state_leaves_out_a_condition_no_posing_code_knows_yet():
    state = Pathology.of({"slip_percent": 20.0, "posture": 0.5, "rotation": 0.3}, "foraminal", "right")
    assert state == Pathology(slip_percent=20.0, zone="foraminal", side="right", posture=0.5)
