"""The server side: participant pages, facilitator login, serving, join links and keys."""
