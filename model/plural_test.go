package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCountOfIsPluralisedCorrectly(t *testing.T) {
	assert.Equal(t, "1 subnet", countOf(1, "subnet", "subnets"))
	assert.Equal(t, "0 subnets", countOf(0, "subnet", "subnets"))
	assert.Equal(t, "2 public addresses", countOf(2, "public address", "public addresses"))
}
