"""Every write in the core app: organisations, memberships, sign-in and two-factor state."""
