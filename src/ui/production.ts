/*
 * Imported first by the UI's entry points (before React and Ink load): React picks its
 * build when first required, and its development build renders several times slower.
 * An explicit NODE_ENV (tests set "test") is left alone.
 */
process.env.NODE_ENV ??= 'production';
