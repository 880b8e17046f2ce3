// Jest runs the lane files as ordinary tests. One project per lane, so Jest's own filter picks
// lanes:  jest --selectProjects heavy   (or LANEBENCH_LANE=heavy jest, or lanebench run --lane heavy).
// Iterations, SLAs and the output directory come from lanebench.config.mjs, which the reporter reads.
const lane = (name) => ({
  displayName: name,
  testEnvironment: 'node',
  testMatch: [`<rootDir>/lanes/${name}.bench.js`],
  setupFilesAfterEnv: ['@lanebench/jest/setup'],
});

/** @type {import('jest').Config} */
module.exports = {
  // One lane at a time: lanes running side by side would measure each other.
  maxWorkers: 1,
  reporters: ['default', ['@lanebench/jest', {}]],
  projects: [lane('docs'), lane('standard'), lane('heavy')],
};
