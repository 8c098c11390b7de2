"""Submit a template, run it and watch it to the end: the logic, over ports that tests can replace."""
