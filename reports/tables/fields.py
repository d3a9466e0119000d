"""The names users read for a report's fields (cells, sections, signatories).

Change records, the history page, the conflict page and import previews name a
field by its code (``a4_reviews``, ``section:overview``); users see the official
label instead, from here.
"""

from reports.tables.base import SIGNATORIES, TableFormat

_OTHER = {"table_year": "统计表标注年度", "import": "导入"}


def field_label(table_format: TableFormat, name: str) -> str:
    """The official label of a field: a cell's name, a section's title, …"""
    cell = table_format.cells.get(name)
    if cell is not None:
        return cell.display_name
    kind, _sep, key = name.partition(":")
    if kind == "section":
        for section in table_format.sections:
            if section.key == key:
                return section.title
    if kind == "signatory":
        return dict(SIGNATORIES).get(key, key)
    return _OTHER.get(name, "其他")
