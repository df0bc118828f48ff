import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxin.core import tree


@pytest.mark.parametrize(
    ("path", "end"),
    [
        ("00001", "00002"),
        ("0000100009", "0000100010"),
        ("0000199998", "0000199999"),
        ("000120034500007", "000120034500008"),
    ],
)
def test_path_end_increments_last_segment(path, end):
    assert tree.path_end(path) == end


@pytest.mark.parametrize(
    ("path", "root", "inside"),
    [
        ("0000100002", "00001", True),
        ("00001", "00001", True),
        ("00002", "00001", False),
        ("0000200001", "00001", False),
        ("00001999980000100001", "00001", True),
        ("0000100002", "0000100001", False),
    ],
)
def test_is_within(path, root, inside):
    assert tree.is_within(path, root) is inside


def test_segment_refuses_overflow():
    with pytest.raises(tree.TreeFull):
        tree.segment(tree.MAX_SEGMENT + 1)
    with pytest.raises(tree.TreeFull):
        tree.segment(0)


def test_ancestor_paths_and_depth():
    assert tree.ancestor_paths("000010000200003") == ["00001", "0000100002"]
    assert tree.depth("000010000200003") == 3


def test_rebase():
    assert tree.rebase("0000100002", "00001", "0000300004") == "000030000400002"
    with pytest.raises(ValueError):
        tree.rebase("00002", "00001", "00003")


segments = st.lists(st.integers(min_value=1, max_value=tree.MAX_SEGMENT), min_size=1, max_size=6)


@given(segments, segments)
def test_range_membership_equals_prefix(a, b):
    """The half-open range is exactly "starts with the root's path" for digit paths."""
    path = "".join(tree.segment(n) for n in a)
    root = "".join(tree.segment(n) for n in b)
    assert tree.is_within(path, root) == path.startswith(root)


@given(st.lists(st.tuples(segments, st.booleans()), max_size=12))
def test_merge_ranges_keeps_coverage(items):
    ranges = []
    for segs, _flag in items:
        path = "".join(tree.segment(n) for n in segs)
        ranges.append((path, tree.path_end(path)))
    merged = tree.merge_ranges(ranges)
    assert len(merged) <= len(ranges)
    for start, end in ranges:
        assert any(s <= start and end <= e for s, e in merged)
    for (_s1, e1), (s2, _e2) in zip(merged, merged[1:], strict=False):
        assert e1 <= s2
