"""Live rooms: the state machine, its shared state, its records and recording consent."""
