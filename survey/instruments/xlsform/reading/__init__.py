"""Reading an XLSForm workbook into an instrument document (docs/instrument-format.md,
"XLSForm").

The reading builds the same document a YAML file gives, and remembers the cell each part of
it came from. What the workbook itself gets wrong (a missing sheet or column, an unknown type,
a choice list that does not exist) is reported here; the document is then validated like any
other, and each of its problems is reported at the sheet, row and column it came from.

One module per part of the workbook: `document` (the workbook being read, its cells and
language columns, and the document its parts give), `settings` (the settings sheet and the
languages), `choices` (the choice lists), `scales`, `survey` (the pages and questions of the
survey sheet), `extra_sheets` (groups, waves, texts and scores) and `path_sheets` (analysis
and metadata, by path).
"""

from survey.instruments.xlsform.reading.document import WorkbookReading
from survey.instruments.xlsform.reading.survey import SurveyRow, infer_kind, supported_types

__all__ = ["SurveyRow", "WorkbookReading", "infer_kind", "supported_types"]
