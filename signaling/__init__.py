"""The WebRTC signaling transport of the meetings domain's live rooms: seats kept alive per process."""
