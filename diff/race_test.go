//go:build race

package diff

// raceEnabled is set when the race detector is on: randomized tests then
// check fewer models, the detector making each one ten times slower.
const raceEnabled = true
