// Filled in by the chat panel issue.
export {};
