// Fakes an end-to-end test puts in place before the page loads (Playwright's addInitScript sets
// `window.playgroundFakes`), so that no test's verdict depends on how fast the machine, its
// software GPU or the browser is: e.g. `raceDecision`, a scripted policy for Auto's race in place of
// the one that goes by measured times (which tests/js/backend-race.test.mjs tests with given
// figures). A visitor's page has none: every fake is undefined and the real thing runs.
export const fake = (name) => globalThis.playgroundFakes?.[name];
