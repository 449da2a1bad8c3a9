"""Candidates: the agency's directory of its candidates, and proposing one to an employer's position."""
