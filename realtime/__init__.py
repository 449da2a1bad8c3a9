"""Socket.IO server: connection auth, user/company rooms, presence, chat and notification pushes."""
