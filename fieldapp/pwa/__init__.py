"""The installable phone app: manifest icons, service worker, outbox and offline visit pages."""
