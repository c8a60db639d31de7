import '@testing-library/jest-dom';

// Component tests render whole cards and pages (Material UI, the catalog's and the suite's APIs) in
// jsdom; on a CI machine whose two cores are shared with the database tests, one render can take
// longer than jest's default of 5 seconds. This is a limit on how long a test may wait, not a
// measure of speed: no test asserts a time.
jest.setTimeout(30_000);
