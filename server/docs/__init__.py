"""The documentation the app serves under /schema: the OpenAPI document with its security and real
errors (`openapi`, `raises`), the offline Swagger UI (`viewer`), and the Socket.IO events as AsyncAPI 3.0
and as a page (`asyncapi`, `events`, `events_page`)."""
