// Every test file: no network beyond this machine. A test that forgets to fake an HTTP call fails
// loudly instead of reaching the internet (nock 14 intercepts node:http and fetch).
import nock from 'nock';
import { afterAll } from 'vitest';

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
afterAll(() => {
  nock.cleanAll();
});
