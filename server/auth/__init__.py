"""Authentication and authorization: passwords, tokens, 2FA, the principal, guards, tenancy."""
