export * from './forbidden-keys.js';
export * from './record-shape.js';
export * from './report.js';
export * from './validate-testing-data.js';
