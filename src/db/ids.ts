/** The ids Riskdesk stores for sign-ins, events and users: safe to put in a URL path as they are. */
export const URL_SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export const URL_SAFE_ID_RULE = 'must be 1-128 characters of A-Z, a-z, 0-9, "_" or "-"';
