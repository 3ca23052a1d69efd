// Filled in by the RAG Core client issue.
process.exitCode = 2;
