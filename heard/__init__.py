"""Heard: hear patients and the public, understand, act, and show that you acted."""
