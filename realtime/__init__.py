"""The Socket.IO transport: connect auth and token renewal, the envelope the domains' events run on,
user/company rooms, presence, and the port through which effects reach sockets."""
