/** Setup file the plugin adds to every project: makes `toMeetSla` available in every test file. */
import { expect } from 'vitest';
import { toMeetSla } from './matcher.js';
import './augment.js';

expect.extend({ toMeetSla });
