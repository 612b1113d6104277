// Mocha's --reporter takes a module path whose exports are the reporter; the TypeScript source is loaded
// through tsx, which the unit tier registers.
module.exports = require('./countingReporter.ts').CountingReporter;
