# Install rules and Debian packages (CPack DEB), included at the end of the
# top-level CMakeLists.txt. Two packages, one per component:
#
#   buurtkiosk  /usr/bin/buurtkiosk, /usr/share/buurtkiosk (assets),
#               /etc/buurtkiosk/kiosk.ini (conffile), the systemd unit,
#               a system user buurtkiosk; state in /var/lib/buurtkiosk
#   buurthub    /usr/bin/buurthub and its unit, when the buurthub target and
#               systemd/buurthub.service exist; a system user buurthub
#
# Build them with scripts/package (or `cpack -G DEB` in a build dir). The
# maintainer scripts are in packaging/deb/<package>/.

set(BK_UNIT_DIR /lib/systemd/system)
set(BK_DEB_DIR ${CMAKE_SOURCE_DIR}/packaging/deb)

# ---- buurtkiosk -------------------------------------------------------------
install(TARGETS buurtkiosk RUNTIME DESTINATION bin COMPONENT buurtkiosk)
# Everything under assets/ (sample feed and what comes later): the binary
# looks there when BUURTKIOSK_ASSETS is unset and its build tree is gone
# (src/app/cli.c, cli_asset_dir). The catalogs go as the build compiled
# them (i18n/LANG.mo); their .po sources are for translators, not the kiosk.
install(DIRECTORY assets/ DESTINATION share/buurtkiosk COMPONENT buurtkiosk
        PATTERN po EXCLUDE)
install(FILES ${BK_MO_FILES} DESTINATION share/buurtkiosk/i18n COMPONENT buurtkiosk)
install(FILES kiosk-config/example.ini kiosk-config/minimal.ini
              docs/config-reference.md docs/deploy.md
        DESTINATION share/doc/buurtkiosk COMPONENT buurtkiosk)
# The minimal config (every key at its default: the bundled sample feed, no
# hub) as the live config, so that a fresh install shows something at once;
# the documented example beside it in /usr/share/doc. A conffile, so dpkg
# keeps local edits on upgrade and asks before replacing an edited one.
install(FILES kiosk-config/minimal.ini DESTINATION /etc/buurtkiosk RENAME kiosk.ini
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT buurtkiosk)
install(FILES systemd/buurtkiosk.service DESTINATION ${BK_UNIT_DIR} COMPONENT buurtkiosk)

set(BK_DEB_COMPONENTS buurtkiosk)

# ---- buurthub ---------------------------------------------------------------
# The hub is written separately; package it once its target (defined before
# this file is included) and its unit exist.
if(TARGET buurthub)
  install(TARGETS buurthub RUNTIME DESTINATION bin COMPONENT buurthub)
  if(EXISTS ${CMAKE_SOURCE_DIR}/systemd/buurthub.service)
    install(FILES systemd/buurthub.service DESTINATION ${BK_UNIT_DIR} COMPONENT buurthub)
  endif()
  if(EXISTS ${CMAKE_SOURCE_DIR}/docs/hub.md)       # the unit's Documentation=
    install(FILES docs/hub.md DESTINATION share/doc/buurthub COMPONENT buurthub)
  endif()
  # An example hub config, when there is one, also as the live conffile
  # /etc/buurthub/hub.ini (the unit reads that file).
  set(BK_HUB_CONFFILES ${CMAKE_BINARY_DIR}/packaging/buurthub/conffiles)
  file(REMOVE ${BK_HUB_CONFFILES})
  if(EXISTS ${CMAKE_SOURCE_DIR}/hub-config/example.ini)
    install(FILES hub-config/example.ini DESTINATION share/doc/buurthub COMPONENT buurthub)
    install(FILES hub-config/example.ini DESTINATION /etc/buurthub RENAME hub.ini
            PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
            COMPONENT buurthub)
    file(WRITE ${BK_HUB_CONFFILES} "/etc/buurthub/hub.ini\n")
  endif()
  list(APPEND BK_DEB_COMPONENTS buurthub)
endif()

# ---- CPack ------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME buurtkiosk)
set(CPACK_PACKAGE_VENDOR "buurtkiosk")
set(CPACK_PACKAGE_CONTACT "buurtkiosk maintainers <buurtkiosk@example.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL ${BK_DEB_COMPONENTS})

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # NAME_VERSION-RELEASE_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)           # library dependencies from dpkg-shlibdeps
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
if(CMAKE_CROSSCOMPILING AND CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
endif()

set(CPACK_DEBIAN_BUURTKIOSK_PACKAGE_NAME buurtkiosk)
set(CPACK_DEBIAN_BUURTKIOSK_PACKAGE_SECTION misc)
# adduser: postinst creates the user. The font is found through fontconfig.
set(CPACK_DEBIAN_BUURTKIOSK_PACKAGE_DEPENDS "adduser, fonts-dejavu-core, fonts-material-design-icons-iconfont")
set(CPACK_COMPONENT_BUURTKIOSK_DESCRIPTION
  "touchscreen kiosk for neighbourhood centres\n\
buurtkiosk shows what is on this week and where to get help, from its own\n\
SQLite cache, on the console through SDL2's KMS/DRM driver. It takes\n\
sign-ups on the screen and delivers them to a buurthub hub. The package\n\
installs the program, a hardened systemd unit (not enabled: see\n\
/usr/share/doc/buurtkiosk/deploy.md) and an example configuration.")
set(BK_KIOSK_CONFFILES ${CMAKE_BINARY_DIR}/packaging/buurtkiosk/conffiles)
file(WRITE ${BK_KIOSK_CONFFILES} "/etc/buurtkiosk/kiosk.ini\n")
set(CPACK_DEBIAN_BUURTKIOSK_PACKAGE_CONTROL_EXTRA
  "${BK_DEB_DIR}/buurtkiosk/postinst;${BK_DEB_DIR}/buurtkiosk/prerm;${BK_DEB_DIR}/buurtkiosk/postrm;${BK_KIOSK_CONFFILES}")

set(CPACK_DEBIAN_BUURTHUB_PACKAGE_NAME buurthub)
set(CPACK_DEBIAN_BUURTHUB_PACKAGE_SECTION web)
set(CPACK_DEBIAN_BUURTHUB_PACKAGE_DEPENDS "adduser")
set(CPACK_COMPONENT_BUURTHUB_DESCRIPTION
  "central hub for buurtkiosk kiosks\n\
buurthub publishes the kiosks' feeds, takes their sign-ups and heartbeats,\n\
and lets staff import and edit content. The package installs the program,\n\
its systemd unit and a system user buurthub; state in /var/lib/buurthub.")
set(CPACK_DEBIAN_BUURTHUB_PACKAGE_CONTROL_EXTRA
  "${BK_DEB_DIR}/buurthub/postinst;${BK_DEB_DIR}/buurthub/prerm;${BK_DEB_DIR}/buurthub/postrm")
if(EXISTS "${BK_HUB_CONFFILES}")
  list(APPEND CPACK_DEBIAN_BUURTHUB_PACKAGE_CONTROL_EXTRA "${BK_HUB_CONFFILES}")
endif()

include(CPack)
