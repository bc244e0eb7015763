# The KatApp Dashboard (dashboard/): a React + Vite single-page app built into dashboard/dist, which the local
# platform serves on :3002 and the CDK stack uploads to the dashboard's bucket.
# Build-time settings: VITE_TILE_URL (map tiles, for example https://tile.openstreetmap.org/{z}/{x}/{y}.png;
# empty shows the maps without tiles), VITE_TILE_ATTRIBUTION, and KATAPP_API_URL / KATAPP_WEBSOCKET_URL for the
# defaults written to dist/config.json (a deployment replaces that file with its stage's URLs).

.PHONY: dashboard dashboard-test
# The build takes a few seconds, so it always runs: a stale bundle after a changed VITE_TILE_URL would cost more.
dashboard: $(INSTALL_STAMP) generate ## Build the dashboard into dashboard/dist (VITE_TILE_URL=... adds map tiles)
	cd dashboard && vite build --logLevel warn
	@echo "Built dashboard/dist ($$(du -sh dashboard/dist | cut -f1))."

dashboard-test: $(INSTALL_STAMP) generate synth ensure-java ## Run the dashboard tests, including Chromium against the local platform
	tools/bootstrap/ensure-chromium.sh
	KATAPP_DASHBOARD_E2E=1 vitest run --project dashboard
