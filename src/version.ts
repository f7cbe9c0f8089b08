/** Charter's version; kept equal to package.json's by a test. */
export const CHARTER_VERSION = "0.1.0";
