"""The curriculum: deck schema and files, the editor's forms and drafts, practice settings."""
