"""Tables from data: unknown datasets, columns and filters name the page and line; rows carry sources."""

from __future__ import annotations

import pytest

from atlas.markers import MarkerError
from atlas.pages import expand_page


@pytest.mark.parametrize("marker, message", [
    ("<!-- atlas:table dataset=modles -->", "unknown dataset 'modles'; expected one of: families, licenses"),
    ("<!-- atlas:table dataset=models columns=name,size -->", "unknown column 'size' for dataset models"),
    ("<!-- atlas:table dataset=models filter=famly:qwen3 -->", "unknown filter field 'famly'"),
    ("<!-- atlas:table dataset=models filter=family:qwen9 -->", "matches no row of dataset models"),
    ("<!-- atlas:table dataset=models sort=size -->", "cannot sort by 'size'"),
    ("<!-- atlas:table dataset=models colour=red -->", "unknown argument(s) colour"),
    ("<!-- atlas:compare models=qwq-32b benchmarks=aime99 -->", "unknown benchmark 'aime99'"),
    ("<!-- atlas:fact model=qwq-32b field=weight -->", "unknown field 'weight'"),
    ("<!-- atlas:chart id=nope -->", "nope"),
])
def test_bad_markers_name_page_and_line(catalog, marker, message):
    """Every kind of marker mistake stops with page:line and what was expected."""
    with pytest.raises(MarkerError) as raised:
        expand_page("# T\n\nText.\n\n" + marker + "\n", "moe.md", "zh", catalog)
    assert str(raised.value).startswith("moe.md:5: atlas:")
    assert message in str(raised.value)


def test_every_row_has_a_source_link(catalog):
    """A models table in English: localized header, one source link per row, every model present."""
    html = expand_page("<!-- atlas:table dataset=models columns=name,params,context -->\n", "x.en.md", "en",
                       catalog).markdown
    assert "<th scope=\"col\" class=\"atlas-num\">Total params</th>" in html
    rows = html.count("<tr id=\"models-")
    assert rows == len(catalog.models)
    assert html.count('class="atlas-cite"') >= rows


def test_headers_and_units_are_localized(catalog):
    """The same table in Chinese uses Chinese headers and 亿 for parameter counts."""
    html = expand_page("<!-- atlas:table dataset=models columns=name,params filter=model:qwen3-235b-a22b -->\n",
                       "x.md", "zh", catalog).markdown
    assert "总参数量" in html and "2350 亿" in html
