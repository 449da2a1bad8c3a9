"""WebRTC signaling: room registry, join/lobby/consent state machine, relay and host controls."""
