/** Echoed in every result so stored results say which rules produced them. */
export const ENGINE_VERSION = '1.0.0';
