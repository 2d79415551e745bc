/** Name of the meter and the tracer the module records through. */
export const TELEMETRY_NAME = 'nestjs-hamsa';

/** The package's version, given to the meter and the tracer (a test keeps it equal to package.json's). */
export const PACKAGE_VERSION = '0.1.0';

/** What `hamsa.voice.id` says of a voice that is not configured: on-demand and runtime voices. */
export const OTHER_VOICE = 'other';
