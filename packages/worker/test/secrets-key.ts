// SECRETS_KEY for the test projects (this package's and the SDK's), as `wrangler secret put` would
// set it on a deployment: a key id and 32 random bytes. Test-only keys; no deployment has them.

export const TEST_SECRETS_KEY = "t1:+/hnLWWjnl5MocXCfgXkB6u+Kp40+AC/c6TAl4yflpQ=";
/** The key a rotation test seals with next; TEST_SECRETS_KEY stays after it, to open what it sealed. */
export const NEXT_SECRETS_KEY = "t2:DEUXfp9pyqb9NifJY8pMCj4n+1BJl4ENgghrREAiNJA=";
