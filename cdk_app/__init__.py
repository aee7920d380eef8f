"""The AWS stack: one construct per concern, the stack that composes them, local bundling."""
