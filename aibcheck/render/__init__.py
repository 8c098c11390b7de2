"""Turn a Diagnosis into text, JSON or Markdown."""
