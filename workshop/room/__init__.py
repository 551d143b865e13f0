"""A live room: the session's lifecycle, its results, timing, moderation and rehearsals."""
