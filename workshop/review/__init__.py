"""After the workshop: a session reviewed (summary, agenda as run, results, observations), the
before/after comparison, and what is kept and for how long. The exports draw from here."""
