// Every test file starts Math.random from the same seed, so anything a test leaves unseeded
// (tfjs' default weight initialisers draw from it) is the same on every run: a numerical
// comparison that passes once passes always, and one that fails can be reproduced.
// MOTIFLENS_TEST_SEED=N runs the suite on another stream (to look for fragile tolerances).
import { mulberry32 } from '../../src/main/models/random.js'

Math.random = mulberry32(Number(process.env.MOTIFLENS_TEST_SEED ?? 0x5eed))
