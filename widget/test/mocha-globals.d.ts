// Browser tests run under mocha (web-test-runner): describe/it/beforeEach are globals there.
/// <reference types="mocha" />
