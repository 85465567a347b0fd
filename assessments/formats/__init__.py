"""Question file formats: GIFT, Moodle XML and Aiken, read into and written from
:class:`common.QuestionData` (see ``docs/decisions/0021-question-import-formats.md``)."""
