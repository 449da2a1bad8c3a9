"""Job positions: company CRUD, the publishing workflow and the public listing."""
