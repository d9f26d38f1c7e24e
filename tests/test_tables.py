"""Tables from data: unknown datasets, columns and filters name the page and line; rows carry sources."""

from __future__ import annotations

import pytest

from atlas.markers import MarkerError
from atlas.registry import expand_page


@pytest.mark.parametrize("marker, message", [
    ("<!-- atlas:table dataset=modles -->", "atlas:table: unknown dataset 'modles'; did you mean `models`? (expected one of: families, licenses"),
    ("<!-- atlas:table dataset=models columns=name,size -->", "atlas:table: unknown column 'size'; dataset models has: name,"),
    ("<!-- atlas:table dataset=models columns=name,parms -->", "atlas:table: unknown column 'parms'; did you mean `params`?"),
    ("<!-- atlas:table dataset=models filter=famly:qwen3 -->", "atlas:table: unknown filter field 'famly'; did you mean `family`?"),
    ("<!-- atlas:table dataset=models filter=family:qwen9 -->", "atlas:table: the filter 'family:qwen9' matches no row"),
    ("<!-- atlas:table dataset=models sort=size -->", "atlas:table: cannot sort by 'size'"),
    ("<!-- atlas:table dataset=models colour=red -->", "atlas:table: unknown argument(s) colour"),
    ("<!-- atlas:table datset=models -->", "atlas:table: unknown argument(s) datset (did you mean `dataset`?); expected:"),
    ("<!-- atlas:compare models=qwq-32b benchmarks=aime99 -->", "atlas:compare: unknown benchmark 'aime99'"),
    ("<!-- atlas:fact model=qwq-32b field=weight -->", "atlas:fact: unknown field 'weight'; expected one of:"),
    ("<!-- atlas:chart id=nope -->", "atlas:chart: unknown chart 'nope'; expected one of:"),
])
def test_bad_markers_name_page_and_line(ctx, marker, message):
    """Every kind of marker mistake stops with page:line, the marker kind and what was expected."""
    with pytest.raises(MarkerError) as raised:
        expand_page("# T\n\nText.\n\n" + marker + "\n", ctx("zh", "moe.md"))
    assert str(raised.value).startswith("moe.md:5: " + message)


def test_every_row_has_a_source_link(ctx, catalog):
    """A models table in English: localized header, one source link per row, every model present."""
    html = expand_page("<!-- atlas:table dataset=models columns=name,params,context -->\n",
                       ctx("en", "x.en.md")).markdown
    assert "<th scope=\"col\" class=\"atlas-num\">Total params</th>" in html
    rows = html.count("<tr id=\"models-")
    assert rows == len(catalog.models)
    assert all(f'<tr id="models-{model_id}"' in html for model_id in catalog.models)
    assert html.count('class="atlas-cite"') >= rows


def test_headers_and_units_are_localized(ctx):
    """The same table in Chinese uses Chinese headers and 亿 for parameter counts."""
    html = expand_page("<!-- atlas:table dataset=models columns=name,params filter=model:qwen3-235b-a22b -->\n",
                       ctx("zh", "x.md")).markdown
    assert "总参数量" in html and "2350 亿" in html
