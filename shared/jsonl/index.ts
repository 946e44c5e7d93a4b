export * from './parse-jsonl.js';
export * from './read-lines.js';
