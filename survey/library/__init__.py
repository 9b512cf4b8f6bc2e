"""The instrument library in the console: stored and shipped questionnaires, their upload,
preview, download, translation review and the diff between versions."""
