package main

import "github.com/ogen-go/ogen/ogenerrors"

// errSkip tells the generated client to send no Authorization header.
var errSkip = ogenerrors.ErrSkipClientSecurity
