"""Figures about the network for coordinators, CSOs and international viewers: counts, never people."""
