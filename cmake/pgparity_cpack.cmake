# `cpack -G DEB` in the build directory makes two Debian packages (docs/install.md):
#   pgparity_<version>_<arch>.deb      the command, pgparity-pre-commit-check,
#                                      pgparity-install-hook, the exporter and the docs
#   pgparity-dev_<version>_<arch>.deb  libraries, headers and the CMake package
# The runtime libraries in `Depends` come from dpkg-shlibdeps on the binary; the server is a
# dependency of its own, since pgparity starts PostgreSQL's initdb/postgres itself. The
# `package/deb` test builds the packages, unpacks them and runs the unpacked command.
if(NOT TARGET pgparity)
  return()
endif()
# cpack (and `make install`) package what is built, and do not build every test program first:
# build, then package.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pgparity)
set(CPACK_PACKAGE_VENDOR pgparity)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "pgparity maintainers <pgparity@pgparity.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "proves that data models and PostgreSQL migrations build the same schema")
set(CPACK_PACKAGE_DESCRIPTION
    "pgparity brings up a disposable PostgreSQL, applies every migration (SQL directories, \
Alembic, or a command), reads the catalog once and runs one GoogleTest test per model and \
check family against the declared models (SQLAlchemy models or a YAML manifest), plus \
probes that insert real rows. It ships a pre-commit check and a git hook installer.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://pgparity.invalid")

# pgparity: shared libraries found by dpkg-shlibdeps, plus any PostgreSQL server pgparity
# supports (13+; Debian's `postgresql` pulls the distribution's current one). Python runs the
# SQLAlchemy exporter and Alembic only for projects that configure them.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME pgparity)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "postgresql-15 | postgresql")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "python3, git")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS "python3-sqlalchemy, python3-alembic, pre-commit")

# pgparity-dev: find_package(pgparity) needs what the libraries were built against.
set(CPACK_DEBIAN_DEV_PACKAGE_NAME pgparity-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
    "pgparity (= ${PROJECT_VERSION}), cmake (>= 3.20), pkg-config, libpqxx-dev, libyaml-cpp-dev, \
libfmt-dev, libgtest-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SHLIBDEPS OFF)

include(CPack)
