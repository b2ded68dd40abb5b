"""The booking journey: identify, reason, questions, time, check, confirm (issue 4)."""
