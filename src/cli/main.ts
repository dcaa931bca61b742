#!/usr/bin/env node
// placeholder: the CLI is being written
console.log("softmax CLI");
